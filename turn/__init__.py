"""What the code of one turn shares: the turn's scope, the parsed card submit, sending cards, and the commands."""
