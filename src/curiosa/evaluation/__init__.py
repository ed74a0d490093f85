"""Evaluation of a run: metrics (success, pass@k, turns with bootstrap intervals) and the HTML report."""

from curiosa.evaluation.metrics import compare, episode_success, format_table, pass_at_k, print_summary, summarize
from curiosa.evaluation.report import write_report

__all__ = ["compare", "episode_success", "format_table", "pass_at_k", "print_summary", "summarize", "write_report"]
