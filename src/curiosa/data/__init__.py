"""Trajectories to training data: exact token ids with agent-only masks, SFT sets, preference pairs."""
