// Hevy API sync.
