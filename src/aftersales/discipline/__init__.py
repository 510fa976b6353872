"""Rewards and penalties (奖惩, SPEC §6): records, their approval, the yearly standing, dismissal cases."""
