-- expect: exit 0
-- args: run --quiet -o fine.h5
-- A tiny valid run: the control for the output cases.
return {
  duration = 60,
  devices = { { count = 1, traffic = { kind = "none" } } },
}
