"""Stage 3, pictures: open picture files safely and make their responsive copies."""
