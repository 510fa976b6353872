"""The rules core: plain Python and Decimal, no Django (checked by tests/core/test_boundary.py).

Each module implements rules of SPEC.md, cited by their R-ids.
"""
