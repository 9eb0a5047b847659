//! A group's places and what holds them: the one rule the database's CHECK also keeps
//! (enrolled + open directions + open vacancies ≤ capacity), said once for the code.

/// A group's capacity and the places taken, offered by a direction, or published as free.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seats {
    pub capacity: i64,
    pub enrolled: i64,
    pub open_directions: i64,
    pub open_vacancies: i64,
}

impl Seats {
    /// Places neither taken, nor offered by a direction, nor already published: what staff may
    /// still publish.
    pub fn unpublished_free(self) -> i64 {
        self.max_enrolled() - self.enrolled
    }

    /// The most children the group may have enrolled while its directions and published places
    /// stand.
    pub fn max_enrolled(self) -> i64 {
        self.capacity - self.open_directions - self.open_vacancies
    }
}

#[cfg(test)]
mod tests {
    use super::Seats;
    use proptest::prelude::*;

    #[test]
    fn a_full_group_has_nothing_to_publish() {
        let seats = Seats {
            capacity: 25,
            enrolled: 20,
            open_directions: 3,
            open_vacancies: 2,
        };
        assert_eq!(seats.unpublished_free(), 0);
        assert_eq!(seats.max_enrolled(), 20);
    }

    proptest! {
        #[test]
        fn publishing_the_free_places_fills_the_group_exactly(
            capacity in 0i64..500, enrolled in 0i64..500, directions in 0i64..500, vacancies in 0i64..500,
        ) {
            let seats = Seats { capacity, enrolled, open_directions: directions, open_vacancies: vacancies };
            let published = Seats { open_vacancies: vacancies + seats.unpublished_free(), ..seats };
            prop_assert_eq!(published.unpublished_free(), 0);
            prop_assert_eq!(
                published.enrolled + published.open_directions + published.open_vacancies,
                capacity
            );
            prop_assert_eq!(seats.max_enrolled() - seats.unpublished_free(), enrolled);
        }
    }
}
