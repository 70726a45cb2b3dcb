-- expect: exit 2
-- message: name
-- args: run --quiet
-- absent: ../escaped.h5
-- known-failing: files/output paths (the default results file NAME.h5 is written outside the folder)
return {
  name = "../escaped",
  duration = 60,
  devices = { { count = 1, traffic = { kind = "none" } } },
}
