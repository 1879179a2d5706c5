# Shared brute-force reference: sequential substitution along explicit permutations.
perms <- function(v) {
  if (length(v) <= 1) return(list(v))
  out <- list()
  for (i in seq_along(v)) for (p in perms(v[-i])) out[[length(out) + 1]] <- c(v[i], p)
  out
}
substitute_along <- function(plan, actual, ord) {
  cur <- plan; vals <- prod(cur); eff <- setNames(numeric(length(ord)), ord)
  for (k in ord) { before <- prod(cur); cur[k] <- actual[k]; eff[k] <- prod(cur) - before
                   vals <- c(vals, prod(cur)) }
  list(effects = eff, values = vals)
}
chain_reference <- function(plan, actual, order) {
  main <- substitute_along(plan, actual, order)
  all <- sapply(perms(names(plan)), function(o) substitute_along(plan, actual, o)$effects[names(plan)])
  all <- matrix(all, nrow = length(plan), dimnames = list(names(plan), NULL))
  list(order = order, effects = as.list(main$effects), intermediate = main$values,
       plan_value = prod(plan), actual_value = prod(actual), total_change = prod(actual) - prod(plan),
       effect_min = as.list(apply(all, 1, min)), effect_max = as.list(apply(all, 1, max)),
       shapley = as.list(rowMeans(all)), n_orders = ncol(all))
}
write_meta <- function(case, note) {
  write(toJSON(list(method = "chain_substitution", case = case,
    tool = "base R, explicit enumeration of all n! substitution orders (chain_common.R)",
    R = R.version.string, note = note, tolerance = list(rel = 1e-12),
    why = "exact arithmetic on products; only rounding differs"),
    auto_unbox = TRUE, pretty = TRUE), "meta.json")
}
