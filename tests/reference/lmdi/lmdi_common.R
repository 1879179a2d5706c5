# Straightforward LMDI-I (Ang 2005, Energy Policy 33: 867-871, Table 1 formulae), written
# independently of perfkit: explicit loops over sub-sectors and factors.
L <- function(a, b) if (a == b) a else if (a == 0 || b == 0) 0 else (a - b) / (log(a) - log(b))
lmdi_plain <- function(x0, xT) {             # matrices: rows = sub-sectors, cols = factors; no zeros
  V0 <- apply(x0, 1, prod); VT <- apply(xT, 1, prod)
  add <- matrix(0, nrow(x0), ncol(x0), dimnames = dimnames(x0))
  for (i in seq_len(nrow(x0))) for (k in seq_len(ncol(x0)))
    add[i, k] <- L(VT[i], V0[i]) * log(xT[i, k] / x0[i, k])
  Ltot <- L(sum(VT), sum(V0))
  mult <- exp(colSums(add) / Ltot)
  # the multiplicative formula written out as in Ang (2005): exp(sum_i L(Vi)/L(V) ln ratio)
  mult2 <- sapply(seq_len(ncol(x0)), function(k)
    exp(sum(sapply(seq_len(nrow(x0)), function(i) L(VT[i], V0[i]) / Ltot * log(xT[i, k] / x0[i, k])))))
  stopifnot(max(abs(mult - mult2)) < 1e-12)
  list(V0 = sum(V0), VT = sum(VT), additive = as.list(colSums(add)), multiplicative = as.list(mult),
       detail = add)
}
write_meta <- function(case, note, tol) {
  write(toJSON(list(method = "lmdi", case = case,
    tool = "base R, own straightforward LMDI-I implementation (lmdi_common.R); no published table used",
    R = R.version.string, note = note, tolerance = tol,
    why = "closed form; differences are rounding only"), auto_unbox = TRUE, pretty = TRUE, digits = NA), "meta.json")
}
