"""Training on agent tokens only: multi-turn SFT, DPO and RPO on one accelerate loop."""
