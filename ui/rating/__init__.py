"""The customer's rating pad (评价器) at a counter: five faces after each finished visit."""
