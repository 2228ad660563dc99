"""Tools for editors: find position-bearing passages, derive candidate statements, suggest
quotes, and audit a quiz for fairness before it is published. No Flask in here."""
