-- expect: exit 0
-- (the default results file takes a safe name: check writes nothing))
return {
  name = "../../escaped",
  duration = 60,
  devices = { { count = 1, traffic = { kind = "none" } } },
}
