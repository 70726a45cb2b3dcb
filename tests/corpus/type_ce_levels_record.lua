-- expect: exit 2
-- message: cell.ce_levels
return { cell = { ce_levels = { nprach_reps = 2 } }, devices = { { count = 1 } } }
