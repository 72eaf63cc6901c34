"""The matching benchmark (``bench/match.py``): a hard synthetic population with queries of known
truth, Tarian's matcher through its HTTP API, and Splink on the same data, side by side.

Modules: ``data`` generates the population and the queries (deterministic from a random seed);
``load`` writes the population into Tarian's tables; ``tarian_side`` loads a database, times
``tarian dedupe`` and asks a real server every query; ``splink_side`` trains and runs Splink;
``metrics`` scores both sets of answers; ``report`` prints them.
"""
