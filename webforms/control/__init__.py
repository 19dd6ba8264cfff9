"""Document control for the quality office: the master list, template checks and new versions,
reproduction of issued copies and the public verification of a number.
"""
