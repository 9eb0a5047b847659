//! Free places, departures: see vacancies service.
