"""CollateX's own test suite, ported: the Java core's tests and the Python port's (CollateX-Python 2.3).

Each module ports one of the peer's test classes; ``helpers`` holds the cases' data model and the checks.
README.md says how the cases were ported and lists the expectations we mark as debatable.
"""
