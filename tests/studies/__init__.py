"""Tests of perfkit.studies."""
