"""Pure matching engine: problem types, travel model, shared evaluator and solvers.

Nothing in this package imports Flask, a database layer, Twilio or APScheduler;
:mod:`carshare.domain.routing` is the only module that imports OR-Tools.
"""
