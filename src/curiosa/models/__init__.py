"""Models: loading any Hugging Face causal LM with its chat template, the tiny default model, LoRA."""
