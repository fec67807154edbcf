"""planner: a declarative, constraint-solving degree planner."""

__version__ = "0.1.0"
