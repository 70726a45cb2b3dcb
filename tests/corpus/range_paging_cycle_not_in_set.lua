-- expect: exit 2
-- message: cell.paging.cycle_s
return { cell = { paging = { cycle_s = 3 } }, devices = { { count = 1 } } }
