"""Background work: job bodies (`handlers`) and the runner that claims and executes them."""
