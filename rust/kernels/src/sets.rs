//! How many values two sorted distinct arrays share, equal to `dedup.verify.relations.shared_count`: the
//! figure every verified pair is judged on (word, character, sentence, anchor and passage sets).

/// The number of values in both `a` and `b`, each sorted and distinct. The smaller is looked up in the larger
/// by galloping (each search starts where the last one ended), so a short set against a long one costs
/// about the short one's length times a logarithm, and two sets of similar size one merge.
pub fn shared_count(a: &[u32], b: &[u32]) -> usize {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let mut count = 0;
    let mut rest = large;
    for &v in small {
        // Gallop: the first place whose value is not below v, searched in doubling steps from the front.
        let mut step = 1;
        while step < rest.len() && rest[step - 1] < v {
            step *= 2;
        }
        let window = &rest[..step.min(rest.len())];
        let at = window.partition_point(|&x| x < v);
        rest = &rest[at..];
        if rest.first() == Some(&v) {
            count += 1;
            rest = &rest[1..];
        }
        if rest.is_empty() {
            break;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_the_common_values() {
        assert_eq!(shared_count(&[1, 2, 3, 4], &[3, 4, 9]), 2);
        assert_eq!(shared_count(&[], &[1]), 0);
        assert_eq!(shared_count(&[5], &[]), 0);
        assert_eq!(shared_count(&[0, u32::MAX], &[0, 7, u32::MAX]), 2);
    }

    #[test]
    fn equals_a_set_intersection() {
        let mut next = crate::xorshift(0x2545_F491_4F6C_DD1Du64);
        for round in 0..2000 {
            let range = 1 + (next() % 200);
            let mut set = |len: u64| {
                let mut v: Vec<u32> = (0..next() % len).map(|_| (next() % range) as u32).collect();
                v.sort_unstable();
                v.dedup();
                v
            };
            let (a, b) = (set(40), set(if round % 3 == 0 { 400 } else { 40 }));
            let want = a.iter().filter(|x| b.binary_search(x).is_ok()).count();
            assert_eq!(shared_count(&a, &b), want, "{a:?} {b:?}");
            assert_eq!(shared_count(&b, &a), want);
        }
    }
}
