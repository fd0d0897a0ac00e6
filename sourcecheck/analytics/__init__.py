"""Item statistics, mastery, calibration and discernment from stored answers: the only place that computes them.

Everything takes the two frames built by `frames` (one row per answer, one row per question) and
returns new frames; the dashboard draws them and offers each as CSV. First attempts only: a retry
is practice, and counting it would make a question look easier than it was for the class.
"""
