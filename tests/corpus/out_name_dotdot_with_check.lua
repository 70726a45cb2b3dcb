-- expect: exit 2
-- message: name
-- known-failing: files/output paths (check accepts a name that run would turn into ../escaped.h5)
return {
  name = "../../escaped",
  duration = 60,
  devices = { { count = 1, traffic = { kind = "none" } } },
}
