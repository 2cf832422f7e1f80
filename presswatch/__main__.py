"""Run PressWatch as `python -m presswatch`."""

from presswatch.cli import main

main()
