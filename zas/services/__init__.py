"""Domain logic and the outside world. No Flask request objects below this line."""
