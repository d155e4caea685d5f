"""The index: locality-sensitive hashing over MinHash signatures, which proposes the pairs worth verifying."""
