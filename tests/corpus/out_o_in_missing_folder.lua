-- expect: exit 1
-- message: cannot create results file
-- args: run --quiet -o missing/folder/out.h5
-- noline: an environment error
return {
  duration = 60,
  devices = { { count = 1, traffic = { kind = "none" } } },
}
