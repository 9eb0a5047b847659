//! Where an organization is: a plain link to openstreetmap.org, and, only when the installation
//! names a tile server (`map_tile_url`), the address of the one tile around it. Pages never load
//! anything from another host unless configured to.

/// The zoom of the embedded tile: a few streets around the organization.
pub const TILE_ZOOM: u32 = 16;

/// Web Mercator covers latitudes up to ±85.05113°.
const MAX_LATITUDE: f64 = 85.051_128_78;

/// Coordinates a map can show: finite, on the globe, inside Web Mercator.
pub fn on_map(latitude: f64, longitude: f64) -> bool {
    latitude.is_finite()
        && longitude.is_finite()
        && latitude.abs() <= MAX_LATITUDE
        && longitude.abs() <= 180.0
}

/// A coordinate as the links write it: six decimals (about 10 cm), no exponent.
fn coordinate(value: f64) -> String {
    format!("{value:.6}")
}

/// `https://www.openstreetmap.org/?mlat=..&mlon=..#map=17/../..`: a marker at the place.
pub fn openstreetmap_link(latitude: f64, longitude: f64) -> String {
    let (lat, lon) = (coordinate(latitude), coordinate(longitude));
    format!("https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}")
}

/// The slippy-map tile (x, y) holding the point at `zoom`.
pub fn tile(latitude: f64, longitude: f64, zoom: u32) -> Option<(u32, u32)> {
    if !on_map(latitude, longitude) || zoom > 24 {
        return None;
    }
    let n = f64::from(1u32 << zoom);
    let lat = latitude.to_radians();
    let x = ((longitude + 180.0) / 360.0 * n).floor();
    let y = ((1.0 - lat.tan().asinh() / std::f64::consts::PI) / 2.0 * n).floor();
    // The east edge and the pole edge belong to the last tile.
    let last = n - 1.0;
    Some((x.clamp(0.0, last) as u32, y.clamp(0.0, last) as u32))
}

/// The tile server's address for the tile around the point, at `TILE_ZOOM`.
pub fn tile_url(template: &str, latitude: f64, longitude: f64) -> Option<String> {
    let (x, y) = tile(latitude, longitude, TILE_ZOOM)?;
    Some(
        template
            .replace("{z}", &TILE_ZOOM.to_string())
            .replace("{x}", &x.to_string())
            .replace("{y}", &y.to_string()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiles_follow_the_slippy_map_numbering() {
        // Astana, Baiterek: checked against the OSM wiki's formula.
        assert_eq!(tile(51.128207, 71.430411, 16), Some((45771, 21902)));
        assert_eq!(tile(-33.8688, 151.2093, 16), Some((60294, 39327)));
        assert_eq!(tile(0.0, 0.0, 0), Some((0, 0)));
        assert_eq!(tile(85.0511, 180.0, 1), Some((1, 0)));
        assert_eq!(tile(89.0, 10.0, 16), None);
        assert_eq!(tile(f64::NAN, 10.0, 16), None);
        assert_eq!(
            tile_url("https://t.example/{z}/{x}/{y}.png", 51.128207, 71.430411).as_deref(),
            Some("https://t.example/16/45771/21902.png")
        );
    }

    #[test]
    fn the_plain_link_marks_the_place() {
        assert_eq!(
            openstreetmap_link(51.128207, 71.430411),
            "https://www.openstreetmap.org/?mlat=51.128207&mlon=71.430411#map=17/51.128207/71.430411"
        );
    }
}
