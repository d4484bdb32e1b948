"""Where the project is, for tests that start processes or read files beside the code."""

from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
