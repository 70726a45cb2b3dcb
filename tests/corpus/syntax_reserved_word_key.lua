-- expect: exit 2
-- message: near 'end'
-- `end` is a keyword: a key named like it needs ["end"].
return {
  devices = { { count = 10, traffic = { kind = "burst_uniform", end = 60 } } },
}
