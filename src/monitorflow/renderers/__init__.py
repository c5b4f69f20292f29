"""Custom renderers and widget helpers of Evidently's ``renderers`` package."""
