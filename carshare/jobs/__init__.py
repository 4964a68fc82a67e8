"""Periodic work, declared as data and run by APScheduler in exactly one process."""
