"""Home feeds: per-account lists of status ids, written by fan-out, read by the home timeline."""
