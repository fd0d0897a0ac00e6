"""The teacher's reads, between analytics and the views: the class list with its counts, the results of a scope
(one class, or every class on a lesson), and the projector's feed for one question.

Why a layer of its own: these reads used to sit in the views, which queried the store once per class, filtered
first attempts and built option lists and pandas frames themselves. Here each read is one set-based store query,
the heavier ones cached per class state (`cache`), and what a view gets is ready to draw: records, tables with
their CSV bytes, charts. The views import neither pandas nor the store's rows beyond what this layer hands them.
"""
