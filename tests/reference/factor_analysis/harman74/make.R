# Reference for perfkit.methods.factor_analysis on a correlation matrix.
# Data: datasets::Harman74.cor (24 psychological tests, n = 145; Harman 1976, Table 7.4).
# Run from this folder:  Rscript make.R
suppressPackageStartupMessages({library(psych); library(GPArotation); library(jsonlite)})
wcsv <- function(x, file) {
  m <- as.data.frame(unclass(x))
  m[] <- lapply(m, function(col) sprintf("%.17g", col))
  write.csv(m, file, quote = FALSE)
}
R <- Harman74.cor$cov
n.obs <- Harman74.cor$n.obs
wcsv(R, "input_correlation.csv")
nf <- 4
cases <- list()
for (fm in c("minres", "ml", "pa", "pc")) {
  for (rot in c("none", "varimax", "promax", "oblimin")) {
    if (fm == "pc") {
      f <- principal(R, nfactors = nf, rotate = rot, n.obs = n.obs)
    } else {
      f <- fa(R, nfactors = nf, rotate = rot, fm = fm, n.obs = n.obs)
    }
    key <- paste(fm, rot, sep = "_")
    L <- unclass(f$loadings)
    wcsv(L, paste0("loadings_", key, ".csv"))
    if (!is.null(f$Phi)) wcsv(f$Phi, paste0("phi_", key, ".csv"))
    va <- f$Vaccounted
    cases[[key]] <- list(
      h2 = unname(f$communality), u2 = unname(f$uniquenesses),
      ss_loadings = unname(va["SS loadings", ]),
      proportion = unname(va["Proportion Var", ]),
      chi2 = f$STATISTIC, dof = f$dof, pvalue = f$PVAL, objective = f$objective,
      rms = f$rms, rmsea = if (is.null(f$RMSEA)) NA else unname(f$RMSEA[1]),
      tli = if (is.null(f$TLI)) NA else f$TLI)
  }
}
write(toJSON(cases, digits = NA, auto_unbox = TRUE, na = "null", pretty = TRUE), "expected.json")
meta <- list(
  method = "factor_analysis", case = "harman74",
  tool = "R psych::fa (fm = minres/ml/pa, rotate = none/varimax/promax/oblimin) and psych::principal",
  R = R.version.string, psych = as.character(packageVersion("psych")),
  GPArotation = as.character(packageVersion("GPArotation")),
  inputs = "input_correlation.csv = datasets::Harman74.cor$cov; n_obs = 145; n_factors = 4",
  outputs = "loadings_<method>_<rotation>.csv (columns in psych's final order, compared by position), phi_*.csv, expected.json (h2, u2, SS loadings, chi2 = psych STATISTIC, dof, pvalue, objective, rms, rmsea, tli)",
  tolerance = list(loadings_abs = 1e-6, pc_none_abs = 1e-9, stats_rel = 1e-6),
  why = paste("perfkit replicates psych's algorithms step by step (same start values, objective, gradient,",
              "L-BFGS-B settings, pa stopping rule, stats::varimax and GPFoblq iterations), and measured",
              "agreement is ~1e-13. minres/ml (L-BFGS-B, factr 1e7) and oblimin (gradient norm < 1e-5) stop",
              "on tolerances, so a different LAPACK/scipy build could stop one step earlier or later:",
              "1e-6 on loadings, phi, communalities and relative 1e-6 on fit statistics leaves room for",
              "that; unrotated components (pc/none, a plain eigen-decomposition) are held to 1e-9."))
write(toJSON(meta, auto_unbox = TRUE, pretty = TRUE), "meta.json")
