-- expect: exit 2
-- message: name
-- args: run --quiet
-- known-failing: files/output paths (a name with a folder in it becomes a path: here a missing folder, exit 1)
return {
  name = "results/today",
  duration = 60,
  devices = { { count = 1, traffic = { kind = "none" } } },
}
