/*
 * capacita.js: the little the pages do with JavaScript. Without it
 * every page works as well (tests/browser/nojs.test.mjs): the header's
 * menu shows open on a small screen (nojs.css), and the menu's groups
 * open as <details> do.
 *
 * With it: Bootstrap Italia's collapsible menu (its own module, served
 * from /assets/bi/js) behind the button on a small screen, and a group
 * of the menu closes when another opens, on Escape or on a click
 * elsewhere.
 */
import '/assets/bi/js/navbar-collapsible.js';

const groups = () => document.querySelectorAll('header .nav-group details');

function closeAll(except) {
	for (const d of groups())
		if (d !== except)
			d.open = false;
}

/* A click (or Enter on a group's button) closes every other group. */
document.addEventListener('click', (e) => {
	closeAll(e.target.closest('header .nav-group details'));
});

document.addEventListener('keydown', (e) => {
	const open = [...groups()].find((d) => d.open);

	if (e.key === 'Escape' && open) {
		open.open = false;
		open.querySelector('summary').focus();
	}
});
