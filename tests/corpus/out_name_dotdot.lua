-- expect: exit 0
-- (the default results file takes a safe name: escaped.h5 here))
-- args: run --quiet
-- absent: ../escaped.h5
return {
  name = "../escaped",
  duration = 60,
  devices = { { count = 1, traffic = { kind = "none" } } },
}
