-- expect: exit 2
-- message: cell.ce_levels[1].nprach_reps
return { cell = { ce_levels = { { nprach_reps = 3 }, {}, {} } }, devices = { { count = 1 } } }
