-- expect: exit 2
-- message: must be a finite number
-- message: swept duration=(0/0)
return {
  devices = { { count = 1 } },
  duration = 60,
  sweep = { duration = { 60, 0/0 } },
}
