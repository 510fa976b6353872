"""Aftersales — 售后服务部绩效考核与服务管理系统."""

__version__ = "0.1.0"
