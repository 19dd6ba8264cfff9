"""Trainers' materials: blank templates and handouts, one at a time or as a pack."""
