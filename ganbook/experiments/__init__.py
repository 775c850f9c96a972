"""One module per trained model: its config per profile, how to build, train and measure it.

Chapters and the command line (`python -m ganbook train NAME`) call the same code.
"""
