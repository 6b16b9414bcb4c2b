"""The work queue has no tables of its own: items come from each app's providers."""
