//! SMS delivery: gateways speaking real HTTP protocols, behind one enum.
