-- expect: exit 2
-- message: name
-- args: run --quiet
-- absent: ..h5
-- known-failing: files/output paths (name "." gives the hidden results file ..h5)
return {
  name = ".",
  duration = 60,
  devices = { { count = 1, traffic = { kind = "none" } } },
}
