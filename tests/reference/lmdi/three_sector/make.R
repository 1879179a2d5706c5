# Reference for perfkit.methods.lmdi: 3 sub-sectors, 3 factors (activity Q, structure S, intensity I),
# Ang's standard "activity / structure / intensity" energy-style identity V = sum_i Q * S_i * I_i.
# The numbers are made up; the reference is an independent R implementation of the published formulae.
suppressPackageStartupMessages(library(jsonlite))
source("../lmdi_common.R")
secs <- c("industry", "services", "agriculture")
x0 <- cbind(Q = c(500, 500, 500), S = c(0.5, 0.3, 0.2), I = c(2.0, 0.8, 1.5))
xT <- cbind(Q = c(620, 620, 620), S = c(0.45, 0.40, 0.15), I = c(1.7, 0.8, 1.6))
rownames(x0) <- rownames(xT) <- secs
fmt <- function(m) { d <- as.data.frame(m); d[] <- lapply(d, function(c) sprintf("%.17g", c)); d }
write.csv(fmt(x0), "input_base.csv", quote = FALSE)
write.csv(fmt(xT), "input_current.csv", quote = FALSE)
r <- lmdi_plain(x0, xT)
dm <- as.data.frame(r$detail); dm[] <- lapply(dm, function(c) sprintf("%.17g", c))
write.csv(dm, "expected_detail.csv", quote = FALSE)
r$detail <- NULL
write(toJSON(r, digits = NA, auto_unbox = TRUE, pretty = TRUE), "expected.json")
write_meta("three_sector", "3 sectors x 3 factors; services intensity unchanged (0.8 -> 0.8)",
           list(rel = 1e-12))
