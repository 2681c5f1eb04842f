/**
 * Deliberately bad examples, one per architecture rule, used only by the rule tests to
 * prove that each rule catches what it claims to. Never copy from here.
 */
package dev.stranglerkit.badshop;
