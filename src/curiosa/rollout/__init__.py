"""Multi-turn rollouts: the batched engine, its backends and the trajectory store."""
