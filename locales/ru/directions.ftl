# Directions (offers of a place), the organization's enrollment and the public protocol.
